"""Reading documentation for retrieval: readers per format (readers.py picks one),
the outline they produce, and the loader that chunks, embeds and stores it."""
