import { render } from "solid-js/web";
import { App } from "./App";
import "./styles.css";
import "./theme.css";
import "./layout.css";
import "./narrow.css";

render(() => <App />, document.getElementById("app")!);
