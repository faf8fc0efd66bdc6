"""Pure functions from a validated procedure to forms, HTML, PDFs and QR codes (no database)."""
