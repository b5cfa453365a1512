"""The board briefing: the paper an ICB finance lead writes for the board, made from the results.

``wording`` holds the sentence templates that write its key messages from the numbers;
``content`` what the paper says, as blocks; ``changes`` what a scenario changes from the base;
``charts`` its three matplotlib charts; ``style`` and ``fonts`` its look.
"""
