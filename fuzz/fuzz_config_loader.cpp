// libFuzzer target: the config loader, from JSON text to a validated Config or an error that
// names the field. Whatever the input, the answer is a result, never a crash.

#include <cstddef>
#include <cstdint>

#include <QByteArray>
#include <QString>

#include "core/config/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto config = hookbench::config::ConfigLoader::parse(json, QStringLiteral("<fuzz>"));
    if (!config && config.error().message.isEmpty())
        __builtin_trap(); // an error must say what is wrong
    return 0;
}
