"""The influence network: its inputs, the analysis and its cache, rankings, key people, ties."""
