"""Sources, documents, events and scopes: the same create/read/list/update/delete shape."""

from app.api.crud import Resource, crud_router
from app.models import entities as m
from app.models import filters as f
from app.services import records

sources = crud_router(
    Resource(records.SOURCES, "source", "sources", m.SourceCreate, m.SourceUpdate, m.SourcePublic, f.SourceFilters)
)
documents = crud_router(
    Resource(
        records.DOCUMENTS,
        "document",
        "documents",
        m.DocumentCreate,
        m.DocumentUpdate,
        m.DocumentPublic,
        f.DocumentFilters,
    )
)
events = crud_router(
    Resource(records.EVENTS, "event", "events", m.EventCreate, m.EventUpdate, m.EventPublic, f.EventFilters)
)
scopes = crud_router(
    Resource(records.SCOPES, "scope", "scopes", m.ScopeCreate, m.ScopeUpdate, m.ScopePublic, f.ScopeFilters)
)
