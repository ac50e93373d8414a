using System;
using System.IO;
using NeuralNet.Gen.Data;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

public class CsvReaderTests
{
    private static CsvData<float> Parse(string text, CsvOptions? options = null) => CsvReader.Read<float>(new StringReader(text), options, "data.csv");

    private static string Error(string text, CsvOptions? options = null) => Assert.Throws<InvalidDataException>(() => Parse(text, options)).Message;

    [Fact]
    public void Reads_features_and_the_last_column_as_label_by_default()
    {
        var data = Parse("weight,height,female\n-2,-1,1\n25,6,0\n\n17,4.5e0,0\n");
        Assert.Equal(new[] { "weight", "height" }, data.FeatureNames);
        Assert.Equal("female", data.LabelName);
        Assert.Equal(3, data.RowCount);
        Assert.Equal(new float[] { -2, -1, 25, 6, 17, 4.5f }, data.Features);
        Assert.Equal(new float[] { 1, 0, 0 }, data.Labels);
        Assert.Null(data.ClassNames);
        var set = data.ToDataset();
        Assert.Equal(2, set.InputSize);
        Assert.Equal(3, set.Count);
    }

    [Fact]
    public void Columns_are_chosen_by_name_or_index_with_another_delimiter()
    {
        var options = new CsvOptions { Delimiter = ';', LabelColumn = "price", FeatureColumns = new[] { "2", "rooms" } };
        var data = Parse("rooms;price;area\n3;250;80\n4;300;95\n", options);
        Assert.Equal(new[] { "area", "rooms" }, data.FeatureNames);
        Assert.Equal(new float[] { 80, 3, 95, 4 }, data.Features);
        Assert.Equal(new float[] { 250, 300 }, data.Labels);
    }

    [Fact]
    public void Without_a_header_columns_are_indices()
    {
        var data = Parse("1\t2\t0\n3\t4\t1\n", new CsvOptions { HasHeader = false, Delimiter = '\t', LabelColumn = "0" });
        Assert.Equal(new[] { "column 1", "column 2" }, data.FeatureNames);
        Assert.Equal(new float[] { 1, 3 }, data.Labels);
    }

    [Fact]
    public void Quoted_fields_and_categorical_labels()
    {
        var data = Parse("sepal,petal,species\n\"5,1\",1.4,\"Iris \"\"setosa\"\"\"\n6.3,4.9,versicolor\n5.0,1.3,\"Iris \"\"setosa\"\"\"\n",
            new CsvOptions { CategoricalLabel = true, FeatureColumns = new[] { "petal" } });
        Assert.Equal(new[] { "Iris \"setosa\"", "versicolor" }, data.ClassNames);
        Assert.Equal(new float[] { 0, 1, 0 }, data.Labels);
        var oneHot = data.ToDataset(oneHot: true);
        Assert.Equal(new float[] { 1, 0, 0, 1, 1, 0 }, oneHot.Targets);
    }

    [Fact]
    public void Numeric_classes_are_sorted_as_numbers()
    {
        var data = Parse("x,y\n1,10\n2,2\n3,10\n", new CsvOptions { CategoricalLabel = true });
        Assert.Equal(new[] { "2", "10" }, data.ClassNames);
        Assert.Equal(new float[] { 1, 0, 1 }, data.Labels);
        Assert.Throws<InvalidOperationException>(() => Parse("x,y\n1,2\n").ToDataset(oneHot: true));
    }

    [Fact]
    public void Malformed_lines_name_the_file_line_and_column()
    {
        Assert.Equal("data.csv, line 3: expected 3 fields (as the header) but found 2, splitting at ',' (CsvOptions.Delimiter).", Error("a,b,c\n1,2,3\n4,5\n"));
        Assert.Equal("data.csv, line 2, column 'b' (2): 'x7' is not a number.", Error("a,b,c\n1,x7,3\n"));
        Assert.Equal("data.csv, line 2, column 'c' (3): the value is empty; expected a number.", Error("a,b,c\n1,2,\n"));
        Assert.Contains("line 2, character 3: the quoted field is not closed", Error("a,b\n1,\"2\n"));
        Assert.Contains("line 2, character 4: expected ',' or the end of the line after a closing quote", Error("a,b\n\"1\"x,2\n"));
        Assert.Contains("the file is empty", Error(""));
        Assert.Contains("no data rows after the header", Error("a,b\n"));
        Assert.Contains("at least 2 columns", Error("a\n1\n"));
    }

    [Fact]
    public void One_column_names_the_delimiter_and_how_to_set_another()
    {
        string semicolons = Error("area;rooms;price\n50;2;100\n");
        Assert.Contains("found 1 when splitting at ','", semicolons);
        Assert.Contains("contains ';'", semicolons);
        Assert.Contains("new CsvOptions { Delimiter = ';' }", semicolons);
        Assert.Contains("Delimiter = '\\t'", Error("a\tb\n1\t2\n"));
        Assert.Contains("set CsvOptions.Delimiter", Error("a\n1\n"));
        // Read as advised, the file is fine.
        Assert.Equal(new float[] { 50, 2 }, Parse("area;rooms;price\n50;2;100\n", new CsvOptions { Delimiter = ';' }).Features);
    }

    [Fact]
    public void Wrong_column_choices_are_argument_errors()
    {
        var e = Assert.Throws<ArgumentException>(() => Parse("a,b\n1,2\n", new CsvOptions { LabelColumn = "z" }));
        Assert.Contains("'z' is not in the header", e.Message);
        Assert.Throws<ArgumentException>(() => Parse("a,b\n1,2\n", new CsvOptions { LabelColumn = "a", FeatureColumns = new[] { "a" } }));
        Assert.Throws<ArgumentException>(() => Parse("a,b,c\n1,2,3\n", new CsvOptions { FeatureColumns = new[] { "a", "0" } }));
        Assert.Throws<ArgumentException>(() => Parse("a,b\n1,2\n", new CsvOptions { Delimiter = '"' }));
    }

    [Fact]
    public void Reads_a_file_and_names_it_in_errors()
    {
        using var folder = new TempFolder();
        string path = folder.File("people.csv");
        File.WriteAllText(path, "\uFEFFw,h,f\n1,2,1\n3,oops,0\n");
        var e = Assert.Throws<InvalidDataException>(() => CsvReader.Read<double>(path));
        Assert.Equal($"{path}, line 3, column 'h' (2): 'oops' is not a number.", e.Message);
        File.WriteAllText(path, "w,h,f\n1,2,1\n");
        Assert.Equal(new double[] { 1, 2 }, CsvReader.Read<double>(path).Features);
    }
}
