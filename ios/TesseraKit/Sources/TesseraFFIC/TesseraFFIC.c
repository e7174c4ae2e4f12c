// Intentionally empty: SwiftPM needs one source file to make a C target of the generated
// header (include/TesseraFFIC.h) and its module map; the code is in libtessera_ffi.
