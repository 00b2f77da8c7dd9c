"""`python -m generator` is the same as `paper-archive`."""

from generator.cli import main

main()
