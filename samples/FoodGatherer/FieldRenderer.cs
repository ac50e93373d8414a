using System;
using System.Text;

namespace FoodGatherer;

/// <summary>Draws the field as text: <c>#</c> wall, <c>@</c> agent, <c>*</c> food, <c>X</c> hazard, <c>.</c> empty.</summary>
public static class FieldRenderer
{
    /// <summary>Characters per board row, walls included.</summary>
    public const int BoardWidth = GatheringField.Width + 2;

    /// <summary>Rows per board, walls included.</summary>
    public const int BoardHeight = GatheringField.Height + 2;

    /// <summary>Characters of one board: <see cref="BoardHeight"/> rows of <see cref="BoardWidth"/>.</summary>
    public const int BoardSize = BoardWidth * BoardHeight;

    /// <summary>Writes the field into <paramref name="board"/>, row by row, no line breaks.</summary>
    public static void Draw(GatheringField field, Span<char> board)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (board.Length != BoardSize)
            throw new ArgumentException($"Expected a board of {BoardSize} characters, got {board.Length}.", nameof(board));
        for (int row = 0; row < BoardHeight; row++)
        {
            for (int column = 0; column < BoardWidth; column++)
            {
                int x = column - 1, y = row - 1;
                board[row * BoardWidth + column] =
                    !GatheringField.IsInside(x, y) ? '#'
                    : x == field.AgentX && y == field.AgentY ? '@'
                    : field[x, y] switch { Cell.Food => '*', Cell.Hazard => 'X', _ => '.' };
            }
        }
    }

    /// <summary>
    /// Appends boards side by side, each under its caption (at most <see cref="BoardWidth"/> characters), with two
    /// spaces between them.
    /// </summary>
    public static void AppendSideBySide(StringBuilder text, ReadOnlySpan<char> boards, int count, ReadOnlySpan<string> captions)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (boards.Length < count * BoardSize)
            throw new ArgumentException($"Expected {count * BoardSize} board characters for {count} boards, got {boards.Length}.", nameof(boards));
        if (captions.Length < count)
            throw new ArgumentException($"Expected {count} captions, got {captions.Length}.", nameof(captions));
        for (int b = 0; b < count; b++)
        {
            if (b > 0) text.Append("  ");
            text.Append(captions[b].AsSpan(0, Math.Min(captions[b].Length, BoardWidth))).Append(' ', BoardWidth - Math.Min(captions[b].Length, BoardWidth));
        }
        text.AppendLine();
        for (int row = 0; row < BoardHeight; row++)
        {
            for (int b = 0; b < count; b++)
            {
                if (b > 0) text.Append("  ");
                text.Append(boards.Slice(b * BoardSize + row * BoardWidth, BoardWidth));
            }
            text.AppendLine();
        }
    }
}
