"""Monitoring: sensors and channels, ingestion (logger files, MQTT), time-series store, alerts.

Live data of the post-mining site (issue 5), kept in the registry database:

:mod:`postmine.monitoring.models`
    Tables ``sensors``, ``channels``, ``readings``, ``dead_letters``, ``alerts``,
    ``alert_events`` (migration ``0003``).
:mod:`postmine.monitoring.units`
    Canonical unit of each quantity; pint conversion on ingestion.
:mod:`postmine.monitoring.channels`
    Registering sensors and channels; finding a channel by its address.
:mod:`postmine.monitoring.store`
    ``write_readings`` (idempotent, batched), ``read_range``, ``downsample``.
:mod:`postmine.monitoring.ingest`
    ``ingest_file`` (CSV, Excel, Campbell TOA5), ``parse_message`` (the MQTT payload
    format) and the ``Subscriber`` (QoS 1, persistent session, acknowledgement after
    commit, dead letters, ``on_batch`` hook for the rules engine).

The package imports none of its modules itself (``postmine.registry.models`` imports
``postmine.monitoring.models`` to register the tables, and an eager import here would make
that a cycle): import what you use from its module.
"""
