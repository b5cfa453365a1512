"""The finance lead's dashboard (Dash)."""
