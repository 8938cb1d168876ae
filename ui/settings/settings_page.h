#pragma once

// SettingsPage: one section of the settings dialog. A page shows part of a config (the JSON of a
// config file, as ConfigLoader reads it), writes the user's edits back into it, and shows each
// validation problem core reports (config::FieldError) in a label under the field it names, with
// the reason. Pages register their fields with addField(); a page that shows one item of a list
// (a source) maps the list index itself by overriding showErrors().

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QWidget>

#include "core/config/config_loader.h"

class QFormLayout;
class QLabel;

namespace hookbench::ui {

class SettingsPage : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsPage)

public:
    ~SettingsPage() override;

    QString title() const { return m_title; }
    // Fills the widgets from the config JSON.
    virtual void load(const QJsonObject &root) = 0;
    // Writes the widgets' values into the config JSON (keeps fields the page does not show).
    virtual void store(QJsonObject &root) const = 0;
    // Shows the problems under the fields they name; returns how many of them this page showed.
    // Problems no field of this page names are left to the dialog's summary.
    virtual int showErrors(const QList<config::FieldError> &errors);
    // The error label under a field (tests read it); nullptr when the page has no such field.
    QLabel *errorLabel(const QString &field) const { return m_errorLabels.value(field); }

signals:
    void edited();

protected:
    SettingsPage(const QString &title, QWidget *parent);

    // Adds a labelled row with an error label under it, for the config field `field` (a path
    // such as "kafka.bootstrap"; errors of nested paths, "secrets[1]", go to it too).
    QLabel *addField(QFormLayout *form, const QString &label, QWidget *widget, const QString &field);
    // Shows the errors whose field is `field` or under it in the label registered as `labelKey`.
    int showIn(const QString &labelKey, const QString &field, const QList<config::FieldError> &errors);
    void clearErrors();
    // A caption under a group: what applies when (live or after a restart), in the palette's
    // secondary text colour.
    static QLabel *noteLabel(const QString &text, QWidget *parent);
    // Whether `field` is `prefix` or a path under it ("a.b", "a[0]").
    static bool isUnder(const QString &field, const QString &prefix);

    QHash<QString, QLabel *> m_errorLabels;

private:
    QString m_title;
};

} // namespace hookbench::ui
