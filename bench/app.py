"""The app the benchmark serves: the service's own app and one route only the benchmark has,
``POST /bench/bare``, the baseline of the write workloads: one row inserted through the same
writer's path (key, admission, transaction) and nothing else."""

from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, Table, insert

from app.api.deps import WriteSessionDep
from app.main import create_app

metadata = MetaData()
bare_rows = Table("bench_bare", metadata, Column("id", Integer, primary_key=True), Column("n", Integer))


class BareOut(BaseModel):
    id: int


app = create_app()


@app.post("/bench/bare", status_code=201, summary="A bare single-row insert (benchmark only)")
def bare_insert(session: WriteSessionDep) -> BareOut:
    """One row into a table of the benchmark's own: the least a write through the API can cost."""
    ident = session.execute(insert(bare_rows).values(n=1).returning(bare_rows.c.id)).scalar_one()
    return BareOut(id=ident)
