// Clean: names that only look like system calls.
int readFrame(Reader& reader) { return reader.read() + reader.write(); }
int parseKey() { return RegistryError::code(); }
