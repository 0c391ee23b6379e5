"""`python -m thidua` is the same as the `thidua` command."""

from thidua.cli import main

main()
