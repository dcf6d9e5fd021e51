"""Organisations: who records service and certifies it (谁记录谁证明, 民政部令第67号; DOMAIN.md).

A programme names its organisation in YAML (``organisation: {name: …, slug: …}``); the engine keeps
one row per organisation (:class:`engine.orgs.models.Organisation`) that programmes reference, with
its signing keys (Ed25519, :mod:`engine.orgs.keys`), its seal image, its certificate counters per
year, and the keys of other organisations it trusts (:mod:`engine.orgs.trust`). See docs/certificates.md.
"""
