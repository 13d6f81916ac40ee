"""Pure computation on plain data: grids, ADKAR readiness, network metrics, forecast, champions.

No database, no Qt, no I/O. Modules import heavy libraries (scipy, igraph) lazily, so import
the submodule you need: ``grids``, ``adkar``, ``network`` (with ``graph_engine`` and
``network_roles``), ``forecast`` (with ``forecast_inputs`` and ``forecast_backtest``) and
``champions`` (the recommender of people to win over).
"""
