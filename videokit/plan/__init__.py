"""One pure planning function per job: inputs' MediaInfo + settings → Timeline."""
