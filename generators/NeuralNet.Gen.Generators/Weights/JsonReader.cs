using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NeuralNet.Gen.Weights;

internal enum JsonKind { Null, False, True, Number, String, Array, Object }

/// <summary>
/// A parsed JSON value. The generator (netstandard2.0) and the netstandard2.1 runtime have no System.Text.Json, so
/// the weights readers share this small reader; numbers keep their double value, objects their member order.
/// </summary>
internal sealed class JsonValue
{
    private JsonValue(JsonKind kind) => Kind = kind;

    public JsonKind Kind { get; }
    public double Number { get; private set; }
    public string String { get; private set; } = "";
    public List<JsonValue> Items { get; } = new();
    public List<KeyValuePair<string, JsonValue>> Members { get; } = new();

    /// <summary>The member named <paramref name="name"/> of an object, or null.</summary>
    public JsonValue? this[string name]
    {
        get
        {
            if (Kind != JsonKind.Object) return null;
            foreach (var member in Members)
            {
                if (member.Key == name) return member.Value;
            }
            return null;
        }
    }

    public static JsonValue Parse(string text) => new Parser(text).ParseDocument();

    /// <summary>How the value is described in messages: "a string", "an array of 3", ...</summary>
    public string Describe() => Kind switch
    {
        JsonKind.Null => "null",
        JsonKind.False or JsonKind.True => "a boolean",
        JsonKind.Number => "a number",
        JsonKind.String => "a string",
        JsonKind.Array => "an array of " + Items.Count.ToString(CultureInfo.InvariantCulture),
        _ => "an object",
    };

    private sealed class Parser
    {
        private const int MaxDepth = 128;
        private readonly string _text;
        private int _position;

        public Parser(string text) => _text = text;

        public JsonValue ParseDocument()
        {
            // A UTF-8 byte order mark decoded as U+FEFF.
            if (_text.Length > 0 && _text[0] == '\uFEFF') _position = 1;
            var value = ParseValue(0);
            SkipWhitespace();
            if (_position < _text.Length) throw Error("unexpected text after the JSON value");
            return value;
        }

        private JsonValue ParseValue(int depth)
        {
            if (depth > MaxDepth) throw Error($"nesting deeper than {MaxDepth} levels");
            SkipWhitespace();
            if (_position >= _text.Length) throw Error("unexpected end of the text");
            char c = _text[_position];
            switch (c)
            {
                case '{':
                {
                    _position++;
                    var value = new JsonValue(JsonKind.Object);
                    SkipWhitespace();
                    if (Peek() == '}') { _position++; return value; }
                    while (true)
                    {
                        SkipWhitespace();
                        if (Peek() != '"') throw Error("expected a member name in quotes");
                        string name = ParseString();
                        SkipWhitespace();
                        Expect(':');
                        value.Members.Add(new KeyValuePair<string, JsonValue>(name, ParseValue(depth + 1)));
                        SkipWhitespace();
                        if (Peek() == ',') { _position++; continue; }
                        Expect('}');
                        return value;
                    }
                }
                case '[':
                {
                    _position++;
                    var value = new JsonValue(JsonKind.Array);
                    SkipWhitespace();
                    if (Peek() == ']') { _position++; return value; }
                    while (true)
                    {
                        value.Items.Add(ParseValue(depth + 1));
                        SkipWhitespace();
                        if (Peek() == ',') { _position++; continue; }
                        Expect(']');
                        return value;
                    }
                }
                case '"':
                    return new JsonValue(JsonKind.String) { String = ParseString() };
                case 't': return Literal("true", JsonKind.True);
                case 'f': return Literal("false", JsonKind.False);
                case 'n': return Literal("null", JsonKind.Null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber();
                    throw Error($"unexpected character '{c}'");
            }
        }

        private JsonValue Literal(string word, JsonKind kind)
        {
            if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0) throw Error($"expected '{word}'");
            _position += word.Length;
            return new JsonValue(kind);
        }

        private JsonValue ParseNumber()
        {
            int start = _position;
            if (Peek() == '-') _position++;
            if (Peek() == '0') _position++;
            else if (!Digits()) throw Error("expected a digit");
            if (Peek() == '.')
            {
                _position++;
                if (!Digits()) throw Error("expected a digit after '.'");
            }
            if (Peek() is 'e' or 'E')
            {
                _position++;
                if (Peek() is '+' or '-') _position++;
                if (!Digits()) throw Error("expected a digit in the exponent");
            }
            // .NET Framework (the compiler inside Visual Studio) throws on overflow where .NET Core returns infinity.
            if (!double.TryParse(_text.Substring(start, _position - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
                throw Error("number out of range");
            return new JsonValue(JsonKind.Number) { Number = number };
        }

        private bool Digits()
        {
            int start = _position;
            while (_position < _text.Length && _text[_position] >= '0' && _text[_position] <= '9') _position++;
            return _position > start;
        }

        private string ParseString()
        {
            _position++; // opening quote
            StringBuilder? builder = null;
            int runStart = _position;
            while (true)
            {
                if (_position >= _text.Length) throw Error("unterminated string");
                char c = _text[_position];
                if (c == '"')
                {
                    string tail = _text.Substring(runStart, _position - runStart);
                    _position++;
                    return builder is null ? tail : builder.Append(tail).ToString();
                }
                if (c < ' ') throw Error("control character in a string");
                if (c != '\\') { _position++; continue; }
                builder ??= new StringBuilder();
                builder.Append(_text, runStart, _position - runStart);
                _position++;
                if (_position >= _text.Length) throw Error("unterminated escape");
                char e = _text[_position++];
                switch (e)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (_position + 4 > _text.Length || !int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                            throw Error("bad \\u escape");
                        builder.Append((char)code);
                        _position += 4;
                        break;
                    default: throw Error($"unknown escape '\\{e}'");
                }
                runStart = _position;
            }
        }

        private void SkipWhitespace()
        {
            while (_position < _text.Length && _text[_position] is ' ' or '\t' or '\n' or '\r') _position++;
        }

        private char Peek() => _position < _text.Length ? _text[_position] : '\0';

        private void Expect(char c)
        {
            if (Peek() != c) throw Error(_position < _text.Length ? $"expected '{c}' but found '{_text[_position]}'" : $"expected '{c}' but the text ended");
            _position++;
        }

        private JsonFormatException Error(string what) => new($"{what} at character {_position.ToString(CultureInfo.InvariantCulture)}");
    }
}

/// <summary>Text that is not JSON; the message says what and where.</summary>
internal sealed class JsonFormatException : Exception
{
    public JsonFormatException(string message) : base(message) { }
}
