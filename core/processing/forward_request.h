#pragma once

// ForwardRequest: one delivery of a record to a target URL (see HttpForwarder).

#include "core/processing/processing_record.h"
#include "core/processing/target_settings.h"

namespace hookbench::processing {

struct ForwardRequest
{
    TargetSettings target;
    ProcessingRecord record;
};

} // namespace hookbench::processing
