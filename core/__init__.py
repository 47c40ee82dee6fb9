"""What every blueprint shares: extensions, configuration, accounts, organisations, CLI and layout helpers."""
