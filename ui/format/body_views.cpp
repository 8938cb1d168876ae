#include "ui/format/body_views.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardItem>
#include <QStandardItemModel>

#include "ui/format/byte_format.h"
#include "ui/format/entry_html.h"

using namespace Qt::StringLiterals;

namespace hookbench::ui {

BodyViews BodyViews::build(const QByteArray &body)
{
    BodyViews views;
    views.size = body.size();
    views.isText = ByteFormat::isText(body);
    views.text = views.isText
                     ? QString::fromUtf8(body)
                     : QCoreApplication::translate("hookbench::ui::InspectorPane", "(binary body, %1: see the Hex tab)")
                           .arg(EntryHtml::sizeText(body.size()));
    views.hex = ByteFormat::hexDump(body, 0, kHexLimit);
    if (body.size() > kHexLimit) {
        views.hex += QCoreApplication::translate("hookbench::ui::InspectorPane",
                                                 "\n… %1 more bytes not dumped (the Raw tab holds the whole body)")
                         .arg(body.size() - kHexLimit);
    }
    QJsonParseError error{};
    const QJsonDocument json = QJsonDocument::fromJson(body, &error);
    views.isJson = error.error == QJsonParseError::NoError && !body.isEmpty();
    if (views.isJson) {
        views.jsonHolder = std::make_shared<QStandardItem>();
        QStandardItemModel scratch; // fillJsonModel's item layout, then detached from the model
        ByteFormat::fillJsonModel(scratch, json.isObject() ? QJsonValue(json.object()) : QJsonValue(json.array()));
        views.jsonHolder->appendRow(scratch.takeRow(0));
    }
    return views;
}

void BodyViews::adoptJsonInto(QStandardItemModel &model) const
{
    model.clear();
    if (!jsonHolder || jsonHolder->rowCount() == 0)
        return;
    model.setHorizontalHeaderLabels({QObject::tr("Key"), QObject::tr("Value"), QObject::tr("Type")});
    model.appendRow(jsonHolder->takeRow(0));
}

} // namespace hookbench::ui
