"""The sandbox's HTTP layer: routes generated from the endpoint table, handlers, views, faults as middleware."""
