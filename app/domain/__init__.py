"""Pure domain logic: no FastAPI, no database. Tested alone and read in one sitting."""
