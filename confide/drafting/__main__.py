import sys

from confide.drafting.cli import main

sys.exit(main())
