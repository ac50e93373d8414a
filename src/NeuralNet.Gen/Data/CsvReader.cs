using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace NeuralNet.Gen.Data;

/// <summary>Which columns of a CSV file are features and which is the label.</summary>
public sealed class CsvOptions
{
    /// <summary>The first line names the columns; <see langword="true"/> by default.</summary>
    public bool HasHeader { get; set; } = true;

    /// <summary>Field separator; ',' by default.</summary>
    public char Delimiter { get; set; } = ',';

    /// <summary>The label column, by header name or (as text) zero-based index; the last column by default.</summary>
    public string? LabelColumn { get; set; }

    /// <summary>The feature columns, by header name or (as text) zero-based index; every column but the label by default.</summary>
    public IReadOnlyList<string>? FeatureColumns { get; set; }

    /// <summary>
    /// Labels are class names (text or numbers) mapped to class indices 0, 1, … in sorted order (numerically when all are numbers),
    /// rather than numbers used as they are; <see langword="false"/> by default.
    /// </summary>
    public bool CategoricalLabel { get; set; }
}

/// <summary>What <see cref="CsvReader.Read{T}(string, CsvOptions?)"/> read: features row-major, one label per row.</summary>
public sealed class CsvData<T> where T : unmanaged
{
    internal CsvData(T[] features, T[] labels, string[] featureNames, string labelName, string[]? classNames)
    {
        Features = features;
        Labels = labels;
        FeatureNames = featureNames;
        LabelName = labelName;
        ClassNames = classNames;
    }

    /// <summary>Row-major features, <see cref="FeatureCount"/> per row.</summary>
    public T[] Features { get; }
    /// <summary>One label per row: the number, or the class index with <see cref="CsvOptions.CategoricalLabel"/>.</summary>
    public T[] Labels { get; }
    /// <summary>Names of the feature columns (header names, or "column N" without a header).</summary>
    public string[] FeatureNames { get; }
    /// <summary>Name of the label column.</summary>
    public string LabelName { get; }
    /// <summary>Class names by index, with <see cref="CsvOptions.CategoricalLabel"/>.</summary>
    public string[]? ClassNames { get; }
    /// <summary>Values per row.</summary>
    public int FeatureCount => FeatureNames.Length;
    /// <summary>Data rows read.</summary>
    public int RowCount => Labels.Length;

    /// <summary>
    /// The rows as a <see cref="Dataset{T}"/>: the label as a single target, or one-hot over <see cref="ClassNames"/>
    /// when <paramref name="oneHot"/> is set (categorical labels only).
    /// </summary>
    public Dataset<T> ToDataset(bool oneHot = false)
    {
        if (!oneHot) return new Dataset<T>(Features, (T[])Labels.Clone(), FeatureCount, 1);
        if (ClassNames is null) throw new InvalidOperationException("One-hot targets need CsvOptions.CategoricalLabel = true.");
        var classes = new int[Labels.Length];
        for (int i = 0; i < classes.Length; i++) classes[i] = (int)Scalar<T>.ToDouble(Labels[i]);
        return new Dataset<T>(Features, Preprocessing.OneHot<T>(classes, ClassNames.Length), FeatureCount, ClassNames.Length);
    }
}

/// <summary>Reads numeric CSV files (RFC 4180 quoting within a line) into features and labels.</summary>
public static class CsvReader
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">A line is malformed or a value is not a number; the message names the file, line and column.</exception>
    public static CsvData<T> Read<T>(string path, CsvOptions? options = null) where T : unmanaged
    {
        Requires.NotNullOrEmpty(path, nameof(path));
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read<T>(reader, options, path);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>; <paramref name="sourceName"/> names it in error messages.</summary>
    public static CsvData<T> Read<T>(TextReader reader, CsvOptions? options = null, string sourceName = "CSV text") where T : unmanaged
    {
        Requires.NotNull(reader, nameof(reader));
        options ??= new CsvOptions();
        if (options.Delimiter is '"' or '\r' or '\n')
            throw new ArgumentException($"The delimiter cannot be {Describe(options.Delimiter)}.", nameof(options));

        var rows = new List<(int Line, string[] Fields)>();
        string[]? header = null;
        int lineNumber = 0;
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line == "\uFEFF")) continue;
            var fields = Split(line, options.Delimiter, sourceName, lineNumber);
            if (header is null && options.HasHeader) header = fields;
            else rows.Add((lineNumber, fields));
        }
        if (header is null && options.HasHeader) throw new InvalidDataException($"{sourceName}: the file is empty; expected a header line.");
        if (rows.Count == 0) throw new InvalidDataException($"{sourceName}: there are no data rows{(options.HasHeader ? " after the header" : "")}.");
        int columns = header?.Length ?? rows[0].Fields.Length;
        var names = header ?? Enumerable.Range(0, columns).Select(i => "column " + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (columns < 2)
            throw new InvalidDataException($"{sourceName}: expected at least 2 columns (features and a label) but found {columns} when splitting at {Describe(options.Delimiter)}, the delimiter in use. {SuggestDelimiter(header ?? rows[0].Fields, options.Delimiter)}");

        int label = options.LabelColumn is null ? columns - 1 : Resolve(options.LabelColumn, names, header is not null, sourceName, "label");
        int[] features = options.FeatureColumns is null
            ? Enumerable.Range(0, columns).Where(c => c != label).ToArray()
            : options.FeatureColumns.Select(f => Resolve(f, names, header is not null, sourceName, "feature")).ToArray();
        if (features.Length == 0) throw new ArgumentException("Expected at least one feature column.", nameof(options));
        if (features.Contains(label)) throw new ArgumentException($"Column '{names[label]}' cannot be both a feature and the label.", nameof(options));
        if (features.Distinct().Count() != features.Length) throw new ArgumentException("A feature column is listed twice.", nameof(options));

        var values = new T[rows.Count * features.Length];
        var labelTexts = new string[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            var (line, fields) = rows[r];
            if (fields.Length != columns)
                throw new InvalidDataException($"{sourceName}, line {line}: expected {columns} fields{(header is null ? " (as the first row)" : " (as the header)")} but found {fields.Length}, splitting at {Describe(options.Delimiter)} (CsvOptions.Delimiter).");
            for (int f = 0; f < features.Length; f++)
                values[r * features.Length + f] = ParseNumber<T>(fields[features[f]], sourceName, line, names[features[f]], features[f]);
            labelTexts[r] = fields[label].Trim();
        }

        var labels = new T[rows.Count];
        string[]? classNames = null;
        if (options.CategoricalLabel)
        {
            var distinct = labelTexts.Distinct(StringComparer.Ordinal).ToList();
            bool numeric = distinct.All(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            classNames = (numeric
                ? distinct.OrderBy(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture))
                : distinct.OrderBy(s => s, StringComparer.Ordinal)).ToArray();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < classNames.Length; i++) index[classNames[i]] = i;
            for (int r = 0; r < labels.Length; r++) labels[r] = Scalar<T>.FromDouble(index[labelTexts[r]]);
        }
        else
        {
            for (int r = 0; r < labels.Length; r++) labels[r] = ParseNumber<T>(labelTexts[r], sourceName, rows[r].Line, names[label], label);
        }
        return new CsvData<T>(values, labels, features.Select(f => names[f]).ToArray(), names[label], classNames);
    }

    private static int Resolve(string column, string[] names, bool hasHeader, string sourceName, string role)
    {
        if (hasHeader)
        {
            int byName = Array.IndexOf(names, column);
            if (byName >= 0) return byName;
        }
        if (int.TryParse(column, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < names.Length) return index;
        throw new ArgumentException(hasHeader
            ? $"The {role} column '{column}' is not in the header of {sourceName} ({string.Join(", ", names)}) nor an index below {names.Length}."
            : $"The {role} column '{column}' must be a zero-based index below {names.Length}, since {sourceName} has no header.", "options");
    }

    private static T ParseNumber<T>(string field, string sourceName, int line, string columnName, int column) where T : unmanaged
    {
        string text = field.Trim();
        if (text.Length == 0)
            throw new InvalidDataException($"{sourceName}, line {line}, column '{columnName}' ({column + 1}): the value is empty; expected a number.");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new InvalidDataException($"{sourceName}, line {line}, column '{columnName}' ({column + 1}): '{text}' is not a number.");
        return Scalar<T>.FromDouble(value);
    }

    private static string[] Split(string line, char delimiter, string sourceName, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                int start = i++;
                while (true)
                {
                    if (i >= line.Length)
                        throw new InvalidDataException($"{sourceName}, line {lineNumber}, character {start + 1}: the quoted field is not closed on this line.");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                if (i < line.Length && line[i] != delimiter)
                    throw new InvalidDataException($"{sourceName}, line {lineNumber}, character {i + 1}: expected {Describe(delimiter)} or the end of the line after a closing quote but found '{line[i]}'.");
            }
            else
            {
                while (i < line.Length && line[i] != delimiter) field.Append(line[i++]);
            }
            fields.Add(field.ToString());
            if (i >= line.Length) return fields.ToArray();
            i++; // the delimiter
        }
    }

    /// <summary>Names the delimiter the single field seems to use, or says how to set one.</summary>
    private static string SuggestDelimiter(string[] fields, char delimiter)
    {
        foreach (char candidate in new[] { ';', '\t', ',', '|' })
            if (candidate != delimiter && fields[0].IndexOf(candidate) >= 0)
                return $"The line contains {Describe(candidate)}: if that separates the columns, read with new CsvOptions {{ Delimiter = {Literal(candidate)} }}.";
        return "If the file separates columns with another character, set CsvOptions.Delimiter (for example new CsvOptions { Delimiter = ';' }).";
    }

    private static string Literal(char c) => c == '\t' ? "'\\t'" : $"'{c}'";

    private static string Describe(char c) => c switch
    {
        '\t' => "a tab",
        '\r' or '\n' => "a line break",
        '"' => "a double quote",
        _ => $"'{c}'",
    };
}
