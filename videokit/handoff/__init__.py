"""Hand-off to editing software: a job's edit as OpenTimelineIO and Final Cut Pro 7 XML timelines."""
