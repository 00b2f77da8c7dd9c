"""`python -m generator` is the same as `paper-archive`."""

from generator.commands import main

main()
