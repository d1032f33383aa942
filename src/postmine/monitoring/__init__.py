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
``components``, ``rules``, ``quality``
    Declared stateful rule components: TARP levels on value, rate and acceleration;
    data-quality checks (missing, stuck, spike, calibration); rule sets from TOML.
``alerts``, ``pipeline``
    The alert book (raise, clear, acknowledge, escalate), the webhook sender, and the
    pipeline that runs the rules on every committed batch and stores the alerts.
:mod:`postmine.monitoring.forecast`
    Inverse-velocity forecast of slope failure (causal filter, onset, interval, plot).
:mod:`postmine.monitoring.chemistry`
    Limit exceedances, Mann-Kendall trend with Sen's slope, drainage-chemistry anomalies.
:mod:`postmine.monitoring.simulate`
    Simulated streams of a site published to MQTT.

The package imports none of its modules itself (``postmine.registry.models`` imports
``postmine.monitoring.models`` to register the tables, and an eager import here would make
that a cycle): import what you use from its module.
"""
