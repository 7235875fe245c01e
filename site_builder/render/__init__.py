"""Stage 5, render: computed figures as text, tables and pages. No I/O."""
