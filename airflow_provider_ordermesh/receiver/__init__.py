"""The webhook receiver: OrderMesh deliveries in, Airflow asset events out, inside Airflow's API server.

The provider's Airflow plugin (``receiver.plugin``, registered through the ``airflow.plugins`` entry
point) mounts ``receiver.app`` at ``/ordermesh/webhooks``. Nothing else in the package imports this
layer; see docs/webhooks.md.
"""
