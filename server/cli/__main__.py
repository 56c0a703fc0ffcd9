"""`python -m server.cli` = `replaydesk`."""
from server.cli import main

main()
