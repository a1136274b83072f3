"""Apply Alembic migrations from code (the service's start, tests, the CLI)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine


def _root() -> Path:
    """The folder holding alembic.ini: the source checkout, or the working directory of an install."""
    checkout = Path(__file__).resolve().parent.parent
    return checkout if (checkout / "alembic.ini").exists() else Path.cwd()


def alembic_config() -> Config:
    root = _root()
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.attributes["configure_logger"] = False
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
