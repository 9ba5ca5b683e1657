import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  AriaComponent,
  type AriaComponentOption,
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import { formatMoney } from '../../format';

// Only what the bar charts need: the rest of ECharts stays out of the bundle.
echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | AriaComponentOption
>;

const compactEuro = new Intl.NumberFormat('it-IT', {
  notation: 'compact',
  maximumFractionDigits: 1,
  style: 'currency',
  currency: 'EUR',
});

/**
 * Bootstrap Italia's blue, green and a dark amber: distinct for colour-blind readers, and each
 * series also carries its own pattern (ECharts' "decal"), so colour is never the only cue.
 */
const PALETTE = ['#0066cc', '#008055', '#995c00', '#5c6f82'];

export interface BarSeries {
  name: string;
  /** Integer cents, one per category. */
  values: number[];
}

/** A grouped bar chart of amounts in cents, one group per category. */
export function moneyBars(categories: string[], series: BarSeries[]): ChartOption {
  return {
    color: PALETTE,
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: '#17324d' } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => (typeof v === 'number' ? formatMoney(Math.round(v)) : String(v)),
    },
    xAxis: {
      type: 'category',
      data: categories,
      axisLabel: { color: '#17324d', interval: 0, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      axisLabel: { color: '#17324d', formatter: (v: number) => compactEuro.format(v / 100) },
    },
    series: series.map((s) => ({ type: 'bar', name: s.name, data: s.values, barMaxWidth: 28 })),
  };
}

const reducedMotion = () =>
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

/**
 * An ECharts chart that follows its container's size and is disposed with the component. It is an
 * image for assistive technology, named by `label`; the figures it draws are always in a table
 * next to it, which is the text alternative.
 */
export function Chart({
  option,
  label,
  height = 320,
  className = '',
}: {
  option: ChartOption;
  label: string;
  height?: number;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const full = useMemo<ChartOption>(
    () => ({
      animation: !reducedMotion(),
      ...option,
      aria: { enabled: true, label: { description: label }, decal: { show: true } },
    }),
    [option, label],
  );

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const instance = echarts.init(el, null, { renderer: 'svg' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(full, { notMerge: true });
  }, [full]);

  return (
    <div
      ref={ref}
      className={`finance-chart ${className}`}
      style={{ height }}
      role="img"
      aria-label={label}
    />
  );
}
