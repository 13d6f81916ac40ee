"""The Portfolio section: change load across initiatives (saturation) and change impact."""
