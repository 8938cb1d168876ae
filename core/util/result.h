#pragma once

// Result<T>: the one error style of Hookbench. A recoverable failure is a value with a stable
// machine-readable code and a human message that says what failed, with which key/value and why.
// (std::expected is C++23; this is the small subset we need.)

#include <optional>
#include <utility>
#include <variant>

#include <QString>

namespace hookbench {

struct Error
{
    QString code;    // stable, snake_case, e.g. "signature_mismatch", "config_invalid"
    QString message; // for people: what failed, with which value, and why
};

template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    static Result failure(QString code, QString message) { return Result(Error{std::move(code), std::move(message)}); }

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<T>(m_state); }
    const T &value() const & { return std::get<T>(m_state); }
    T value() && { return std::get<T>(std::move(m_state)); } // by value: no dangling in range-for
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

// Result<void> carries only success or an Error.
template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    static Result failure(QString code, QString message) { return Result(Error{std::move(code), std::move(message)}); }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace hookbench
