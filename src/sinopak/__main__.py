"""`python -m sinopak` runs the command line."""

from .cli import main

main()
