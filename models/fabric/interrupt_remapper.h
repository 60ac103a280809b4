// The hook through which VT-d interrupt remapping (vtd-pci-nvme.md) joins the interrupt fabric. The
// fabric consults the remapper, when one is installed, before it decodes any upstream interrupt
// message; without one it decodes messages as the compatibility format (lapic-pit-msi.md §5.1).
#pragma once

#include "models/common/interrupt_message.h"

#include <cstdint>

namespace x86sim::models {

enum class RemapOutcome : std::uint8_t {
    Remapped,      // `request` holds the translated interrupt (IRTE lookup succeeded)
    Compatibility, // not remapped: decode the message as §5.1 (IR disabled, or compat format allowed)
    Blocked,       // the remapper rejected the message and recorded its own fault: drop it
};

class InterruptRemapper {
  public:
    virtual ~InterruptRemapper() = default;
    virtual RemapOutcome remap(const MsiMessage& message, InterruptRequest& request) = 0;
};

} // namespace x86sim::models
