using Microsoft.ML;
using Microsoft.ML.Data;

namespace Aviary.Agents.Models;

/// <summary>
/// Encoded rows served to ML.NET straight from flat arrays: a <c>Features</c> vector column (row i
/// is <c>features[i·width .. (i+1)·width)</c>) and, when labels are given, a <c>Label</c> column
/// (float for regression, bool for binary). No per-row objects: a cursor copies one row into the
/// consumer's buffer when asked.
/// </summary>
public sealed class ArrayDataView : IDataView
{
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = "Label";

    private readonly float[] _features;
    private readonly int _width;
    private readonly int _rows;
    private readonly float[]? _numberLabels;
    private readonly bool[]? _classLabels;

    public ArrayDataView(float[] features, int width, float[]? numberLabels = null, bool[]? classLabels = null)
    {
        if (width <= 0 || features.Length % width != 0)
            throw new ArgumentException($"the features ({features.Length} values) are not rows of width {width}");
        _features = features;
        _width = width;
        _rows = features.Length / width;
        if ((numberLabels?.Length ?? _rows) != _rows || (classLabels?.Length ?? _rows) != _rows)
            throw new ArgumentException($"labels must be one per row ({_rows})");
        _numberLabels = numberLabels;
        _classLabels = classLabels;
        var schema = new DataViewSchema.Builder();
        schema.AddColumn(FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, width));
        if (numberLabels is not null)
            schema.AddColumn(LabelColumn, NumberDataViewType.Single);
        else if (classLabels is not null)
            schema.AddColumn(LabelColumn, BooleanDataViewType.Instance);
        Schema = schema.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(ArrayDataView view) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => view.Schema;

        public override bool MoveNext()
        {
            if (_position + 1 >= view._rows)
            {
                _position = view._rows;
                return false;
            }
            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < view.Schema.Count;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Index switch
            {
                0 => (ValueGetter<VBuffer<float>>)GetFeatures,
                1 when view._numberLabels is { } labels => (ValueGetter<float>)((ref float value) => value = labels[_position]),
                1 when view._classLabels is { } labels => (ValueGetter<bool>)((ref bool value) => value = labels[_position]),
                _ => throw new ArgumentOutOfRangeException(nameof(column), $"no column {column.Index}"),
            };
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"column '{column.Name}' is not of type {typeof(TValue).Name}");
        }

        private void GetFeatures(ref VBuffer<float> value)
        {
            var editor = VBufferEditor.Create(ref value, view._width);
            view._features.AsSpan(checked((int)(_position * view._width)), view._width).CopyTo(editor.Values);
            value = editor.Commit();
        }
    }
}
