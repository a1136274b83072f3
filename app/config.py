"""Settings, read from the environment (prefix ``COUNTERCHECK_`` except ``DATABASE_URL``) or a ``.env`` file."""

from functools import lru_cache
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting the service reads; the README lists them all (a test checks it)."""

    model_config = SettingsConfigDict(env_prefix="COUNTERCHECK_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///countercheck.db",
        validation_alias=AliasChoices("DATABASE_URL", "COUNTERCHECK_DATABASE_URL"),
        description="SQLAlchemy URL. Default: a SQLite file in the working directory.",
    )
    tolerance: float = Field(
        default=0.2, ge=0.0, lt=1.0, description="Relative width t of 'around n': [n(1-t), n(1+t)]."
    )
    max_page_size: int = Field(default=500, ge=1, description="Largest `limit` a list accepts.")
    default_page_size: int = Field(default=50, ge=1, description="`limit` when none is given.")
    demo: bool = Field(default=False, description="Load the seed article as demo data at start.")
    migrate_on_start: bool = Field(
        default=True, description="Apply pending Alembic migrations when the service starts."
    )
    threads: int = Field(
        default=40,
        ge=1,
        description="Worker threads for blocking routes, and requests holding a DB session at once (see README).",
    )
    open_reads: bool = Field(
        default=True, description="Reads need no key. Set false to require a read key for every read."
    )
    max_body_bytes: int = Field(
        default=16 * 1024 * 1024, ge=1024, description="Larger request bodies answer 413 without being read whole."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins a browser may call the API from (JSON list); empty: same origin only.",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=10_000, ge=0, description="How long a SQLite writer waits for a lock before failing."
    )
    bias_fit_debounce_seconds: float = Field(
        default=30.0,
        ge=0.0,
        le=86_400.0,
        description="The reporting-bias fit runs in the background when the data changed and no write came for this "
        "long (checked this often); 0: never in the background (run `countercheck fit` or POST /bias/fit).",
    )
    log_format: Literal["json", "text"] = Field(
        default="json", description="Log lines as one JSON object each, or as plain text."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="INFO", description="Least severe level logged (INFO: one access line per request)."
    )

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


@lru_cache
def get_settings() -> Settings:
    return Settings()
