// An Apache ECharts chart, tree-shaken: only the bar chart, the custom series (each stage's time limit as its own short mark) and the components the dashboard
// uses are bundled (and only into the dashboard's lazily loaded chunk). Drawn as SVG, so its text is
// text in the page's own font (the self-hosted Noto Sans SC, whose subsets the browser fetches for the
// characters shown) rather than pixels drawn with whatever font a canvas finds. A chart is an image to
// assistive technology: it carries a name and a description, and the same figures are in a table.
import { BarChart, CustomChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useId, useRef } from 'react';

echarts.use([BarChart, CustomChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export const CHART_FONT = "'Noto Sans SC', -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/** Read by screen readers, not shown (the table under the chart shows the figures). */
const VISUALLY_HIDDEN = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' } as const;

export interface ChartProps {
  /** The chart's accessible name. */
  title: string;
  /** What it shows, for those who cannot see it. */
  description: string;
  option: echarts.EChartsCoreOption;
  height?: number;
}

export function Chart({ title, description, option, height = 320 }: ChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const describedBy = useId();

  useEffect(() => {
    const dom = element.current;
    if (!dom) return undefined;
    const instance = echarts.init(dom, undefined, { renderer: 'svg' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(dom);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // ECharts' own aria label would replace ours on the element; the name and description are ours.
    chart.current?.setOption({ textStyle: { fontFamily: CHART_FONT }, aria: { enabled: false }, animation: false, ...option }, { notMerge: true });
  }, [option]);

  return (
    <figure style={{ margin: 0 }}>
      <div ref={element} role="img" aria-label={title} aria-describedby={describedBy} style={{ width: '100%', height }} />
      <figcaption id={describedBy} style={VISUALLY_HIDDEN}>
        {description}
      </figcaption>
    </figure>
  );
}
