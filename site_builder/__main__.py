"""`python -m site_builder` runs the `bulletin` command."""

import sys

from site_builder.cli import main

sys.exit(main())
