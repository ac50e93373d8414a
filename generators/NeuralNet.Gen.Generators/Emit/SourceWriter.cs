using System;
using System.Text;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// A small indented writer. Blocks come from <see cref="Block"/>, a disposable that writes the closing brace,
/// so braces and indentation cannot drift; <see cref="ToString"/> checks that every block was closed.
/// </summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public int Indentation => _indent;

    public void Line(string line = "")
    {
        if (line.Length == 0)
        {
            _text.Append('\n');
            return;
        }
        _text.Append(' ', _indent * 4).Append(line).Append('\n');
    }

    /// <summary>
    /// An indented line that <paramref name="write"/> appends in pieces straight to the text: a megabyte literal
    /// (baked weights) never becomes a string of its own.
    /// </summary>
    public void Line(Action<StringBuilder> write)
    {
        _text.Append(' ', _indent * 4);
        write(_text);
        _text.Append('\n');
    }

    /// <summary>Makes room for <paramref name="chars"/> more characters at once, so a known large line is one block of the text.</summary>
    public void Reserve(int chars) => _text.EnsureCapacity(_text.Length + chars);

    public void Lines(string text)
    {
        foreach (var line in text.Split('\n')) Line(line.TrimEnd('\r'));
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and returns the closer of the block.</summary>
    public BlockCloser Block(string header, string closing = "}")
    {
        Line(header);
        Line("{");
        _indent++;
        return new BlockCloser(this, closing);
    }

    /// <summary>A bare <c>{ }</c> scope, so that its locals cannot clash with others.</summary>
    public BlockCloser Scope()
    {
        Line("{");
        _indent++;
        return new BlockCloser(this, "}");
    }

    public override string ToString()
    {
        if (_indent != 0) throw new InvalidOperationException($"Unbalanced blocks: indentation is {_indent} at the end.");
        return _text.ToString();
    }

    internal readonly struct BlockCloser : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string _closing;

        public BlockCloser(SourceWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line(_closing);
        }
    }
}
