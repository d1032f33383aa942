"""Monitoring: sensors and channels, ingestion (logger files, MQTT), time-series store, alerts.

Live data of the post-mining site (issue 5), kept in the registry database. Modules, one
concern each, listed from the bottom up (each imports only modules above it in this list):

:mod:`postmine.monitoring.units`
    Canonical unit of each quantity; pint conversion on ingestion.
:mod:`postmine.monitoring.models`
    Tables ``sensors``, ``channels``, ``readings``, ``dead_letters``, ``alerts``,
    ``alert_events`` (migration ``0003``).
:mod:`postmine.monitoring.channels`
    Registering sensors and channels; finding a channel by its address or rule-set key.
:mod:`postmine.monitoring.store`
    ``write_readings`` (idempotent, batched), ``read_range``, ``downsample``.
:mod:`postmine.monitoring.messages`
    The MQTT topic and payload format (``parse_message``) and what every ingestion path
    shares: rejections, dead letters, the range of reading times.
:mod:`postmine.monitoring.ingest_files`, :mod:`postmine.monitoring.ingest_mqtt`
    ``ingest_file`` (CSV, Excel, Campbell TOA5); the ``Subscriber`` (QoS 1, persistent
    session, acknowledgement after commit, dead letters, ``on_batch`` hook for the rules).
``alerts``, ``components``
    The alert book (raise, clear, acknowledge, escalate) and the webhook sender; the base
    class of the declared stateful rule components.
``tarp``, ``quality``, ``slope_watch``, ``component_kinds``
    TARP levels on value, rate and acceleration; data-quality checks (missing, stuck,
    spike, calibration); the live factor of safety of a slope; the built-in kinds by name.
``rule_set``, ``rule_file``
    A rule set as data (channels and rules, built into components) and its TOML reader.
:mod:`postmine.monitoring.pipeline`
    Runs a rule set on every committed batch and stores the alerts (nothing imports it
    back but the CLI and the API).
``forecast``, ``forecast_plot``, ``channel_forecast``
    Inverse-velocity forecast of slope failure (causal filter, onset, interval), its plot,
    and the workflow that forecasts a stored channel (the CLI and the API call it).
``water_limits``, ``water_trends``, ``chemistry``
    Drainage water: limit exceedances, Mann-Kendall trend with Sen's slope, robust online
    detection of acid-drainage anomalies.
:mod:`postmine.monitoring.simulate`
    Simulated streams of a site published to MQTT.

The package imports none of its modules itself (``postmine.registry.models`` imports
``postmine.monitoring.models`` to register the tables, and an eager import here would make
that a cycle): import what you use from its module.
"""
