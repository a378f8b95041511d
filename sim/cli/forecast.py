"""`forecast`: being built (issue in progress)."""


def add_parser(sub) -> None:
    pass
