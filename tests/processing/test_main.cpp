#include <QTest>

#include "tests/processing/test_processing.h"

QTEST_GUILESS_MAIN(hookbench::tests::TestProcessing)
