// libFuzzer target: the HAR importer (core/capture/har_importer), from a HAR file's bytes to
// captures or an error naming where and why. Built when core/capture/ exists.

#include <cstddef>
#include <cstdint>

#include <QByteArray>
#include <QString>

#include "core/capture/har_importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto report = hookbench::capture::HarImporter::parse(json, QStringLiteral("<fuzz>"));
    if (report)
        (void)report->summary();
    else if (report.error().message.isEmpty())
        __builtin_trap(); // an error must say what is wrong
    return 0;
}
