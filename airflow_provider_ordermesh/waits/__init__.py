"""Waits without Airflow: what a sensor or trigger asks OrderMesh each poll, and what it decides.

A wait is for statuses (shipments, orders, order items) or for inbound orders to exist (by
safeId). ``watch`` builds the batched queries and reads their answers, ``progress`` sorts ids into
reached, failed, waiting and unknown, ``step`` decides after each poll (error budget, unknown-id
grace, outcome) and at the deadline (a timeout, or an inbound order's unknown outcome), and
``coalesce`` lets the triggers of one event loop share their searches. No Airflow import: sensors
(in a worker) and triggers (in the triggerer) stand side by side above it.
"""
