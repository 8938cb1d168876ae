// libFuzzer target: the curl command importer (core/capture/curl_importer), from pasted shell
// text to captures or an error naming the line. Built when core/capture/ exists. @file
// arguments are resolved in a folder that does not exist, so inputs read no files.

#include <cstddef>
#include <cstdint>

#include <QByteArray>
#include <QString>

#include "core/capture/curl_importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto report = hookbench::capture::CurlImporter::parse(text, QStringLiteral("<fuzz>"),
                                                                QStringLiteral("/nonexistent-hookbench-fuzz"));
    if (report)
        (void)report->summary();
    else if (report.error().message.isEmpty())
        __builtin_trap();
    return 0;
}
