"""The organisation registry: föreningar, kooperativ, stiftelser and the rest."""
