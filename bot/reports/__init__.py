"""The coordinators' reports: gathering the numbers, the chart and the CSV export."""
