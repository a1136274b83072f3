"""Countercheck records **who said which number about what** — sources, the documents they spoke
in, events, claims and the figures inside them — and answers **where sources disagree, by how
much, and who stands apart**.

Figures keep their words ("more than 200", "around 100") and a derived interval. Errors are
`application/problem+json` (RFC 9457). Lists paginate with `limit`/`offset` and give `total` and
`next`. JSON bodies are read strictly: an object holding a key twice, or arrays and objects nested
more than 64 levels deep, answer 422 naming the key's path or the limit."""
