"""The executive workbook's input gathered from the other services."""
