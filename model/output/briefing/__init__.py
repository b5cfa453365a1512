"""The board briefing: the paper an ICB finance lead writes for the board, made from the results.

``wording`` holds the sentence templates that write its key messages from the numbers.
"""
