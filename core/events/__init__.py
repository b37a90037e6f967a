"""Events: what happened that API clients may be told about, stored once (``core.models.Event``)
and read back in order by ``GET /api/v1/events/`` (``api``), so that a receiver that was down
catches up on what its webhooks missed. ``services`` records them; ``core.webhooks`` delivers
them."""
